# The API (and the `kg` CLI) in one image; docker-compose.yml runs it against Neo4j.
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY kg ./kg
COPY loaders ./loaders
COPY api ./api
COPY ontology ./ontology
COPY queries ./queries
COPY data ./data
RUN pip install --no-cache-dir .
ENV KG_ONTOLOGY_DIR=/app/ontology KG_QUERIES_DIR=/app/queries
EXPOSE 8000
CMD ["kg", "serve", "--host", "0.0.0.0", "--port", "8000"]
