# The API and the `kg` command in one image; docker-compose.yml runs it against Neo4j 5.26.
#
# Stage 1 builds: falkordblite has no wheel, its sdist compiles redis (a few minutes, the slow
# step), so the compiler lives here only. Versions come from constraints.txt, as in
# scripts/setup. The project is installed as a wheel: ontology/ and queries/ are inside it.
FROM python:3.12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# the dependencies first, in a layer of their own: a change to the code does not rebuild redis
COPY pyproject.toml constraints.txt ./
RUN python -m venv /opt/venv \
    && python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && /opt/venv/bin/pip install --no-cache-dir --constraint constraints.txt -r requirements.txt
COPY README.md ./
COPY kg ./kg
COPY loaders ./loaders
COPY api ./api
COPY ontology ./ontology
COPY queries ./queries
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps --constraint constraints.txt .

# Stage 2 runs: the virtualenv and the sample, no compiler, not root (the embedded store's
# FalkorDB module needs the OpenMP and C++ runtimes).
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 libstdc++6 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 kg
COPY --from=build /opt/venv /opt/venv
WORKDIR /home/kg
COPY data/sample ./data/sample
# Two API workers unless KG_API_WORKERS says otherwise: os.cpu_count() in a container is the
# host's, not the container's share (kg serve also reads the cgroup's CPU quota).
ENV PATH=/opt/venv/bin:$PATH \
    KG_API_WORKERS=2 \
    KG_DATA_DIR=/home/kg/.kg-data \
    KG_MODELS_DIR=/home/kg/.kg-models
USER kg
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=6 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["kg", "serve", "--host", "0.0.0.0", "--port", "8000"]
