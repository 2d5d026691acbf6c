"""Examples for the OpenAPI document, taken from the sample page (data/sample/page-000):
新港办事处 observing 柿园吴村, 寺王村 and 北街村 on 22 June. Data only; api/schemas.py and the routes show them."""


def ids(value: str, summary: str) -> dict:
    """A parameter's example as FastAPI's openapi_examples takes it."""
    return {"sample": {"summary": summary, "value": value}}

ENTITY_PAGE = {
    "items": [
        {
            "id": "org-9cbafcd8e2cb676b",
            "iri": "https://w3id.org/newskg/id/org/9cbafcd8e2cb676b",
            "name": "新港办事处",
            "type": "Office",
            "labels": [
                "AdministrativeUnit",
                "Agent",
                "Office",
                "Organization",
                "Place",
                "Resource",
            ],
            "aliases": [],
        }
    ],
    "next_cursor": None,
}

ENTITY = {
    "id": "org-9cbafcd8e2cb676b",
    "iri": "https://w3id.org/newskg/id/org/9cbafcd8e2cb676b",
    "name": "新港办事处",
    "type": "Office",
    "labels": ["AdministrativeUnit", "Agent", "Office", "Organization", "Place", "Resource"],
    "aliases": [],
    "properties": {},
    "links": [
        {
            "type": "partOf",
            "direction": "out",
            "fact": "ad06a50abd9c20b4",
            "position": None,
            "target": {
                "id": "org-42aa25f0a046775c",
                "iri": "https://w3id.org/newskg/id/org/42aa25f0a046775c",
                "name": "航空港实验区",
                "type": "District",
            },
            "articles": [
                {"id": "page-000-a1", "headline": "开展“三学三提升创‘五星’支部亮赛比”观摩比学活动"}
            ],
        },
        {
            "type": "organizer",
            "direction": "in",
            "fact": "7df4cf1393fe34d7",
            "position": None,
            "target": {
                "id": "event-5c6209451d7db763",
                "iri": "https://w3id.org/newskg/id/event/5c6209451d7db763",
                "name": None,
                "type": "Observation",
            },
            "articles": [{"id": "page-000-a5", "headline": "学亮点 找差距 补短板 促提升"}],
        },
    ],
    "links_truncated": False,
}

VISIT_PAGE = {
    "items": [
        {
            "id": "event-71c3d45aa90588cb",
            "iri": "https://w3id.org/newskg/id/event/71c3d45aa90588cb",
            "name": None,
            "kind": "observation",
            "date": "--06-22",
            "organizers": [
                {
                    "id": "org-9cbafcd8e2cb676b",
                    "iri": "https://w3id.org/newskg/id/org/9cbafcd8e2cb676b",
                    "name": "新港办事处",
                }
            ],
            "sites": [
                {
                    "id": "org-c94e5e0a3946122d",
                    "iri": "https://w3id.org/newskg/id/org/c94e5e0a3946122d",
                    "name": "柿园吴村",
                    "position": 1,
                },
                {
                    "id": "org-b6fe1e59bac72678",
                    "iri": "https://w3id.org/newskg/id/org/b6fe1e59bac72678",
                    "name": "寺王村",
                    "position": 2,
                },
                {
                    "id": "org-b2a6e7104f321952",
                    "iri": "https://w3id.org/newskg/id/org/b2a6e7104f321952",
                    "name": "北街村",
                    "position": 3,
                },
            ],
            "leaders": [],
            "participants": "30余人",
            "participant_count": 30,
            "articles": [
                {"id": "page-000-a1", "headline": "开展“三学三提升创‘五星’支部亮赛比”观摩比学活动"}
            ],
        }
    ],
    "next_cursor": None,
}

XINGANG = {"id": "org-9cbafcd8e2cb676b", "iri": "https://w3id.org/newskg/id/org/9cbafcd8e2cb676b",
           "name": "新港办事处"}
VISIT_0622 = {"id": "event-71c3d45aa90588cb", "name": None,
              "iri": "https://w3id.org/newskg/id/event/71c3d45aa90588cb"}


def _ref(short: str, name: str) -> dict:
    return {"id": f"org-{short}", "iri": f"https://w3id.org/newskg/id/org/{short}", "name": name}


def _stop(site: dict, position: int) -> dict:
    return {"site": site, "position": position, "date": "--06-22", "kind": "observation",
            "visit": VISIT_0622, "article": "page-000-a1"}


OFFICE_PAGE = {"items": [{
    "office": XINGANG, "type": "Office",
    "visits": [{"visit": VISIT_0622, "date": "--06-22", "kind": "observation",
                "article": {"id": "page-000-a1", "headline": "开展“三学三提升创‘五星’支部亮赛比”观摩比学活动"},
                "sites": [{**_ref("c94e5e0a3946122d", "柿园吴村"), "position": 1, "type": "Village"},
                          {**_ref("b6fe1e59bac72678", "寺王村"), "position": 2, "type": "Village"},
                          {**_ref("b2a6e7104f321952", "北街村"), "position": 3, "type": "Village"}]}],
    "visit_count": 2, "visits_truncated": True}], "next_cursor": None}

VISITED_SITES = {
    "office": XINGANG,
    "sites": [_stop(_ref("c94e5e0a3946122d", "柿园吴村"), 1), _stop(_ref("b6fe1e59bac72678", "寺王村"), 2),
              _stop(_ref("b2a6e7104f321952", "北街村"), 3)],
}

VISITORS = {
    "site": {
        "id": "org-c94e5e0a3946122d",
        "iri": "https://w3id.org/newskg/id/org/c94e5e0a3946122d",
        "name": "柿园吴村",
    },
    "visitors": [
        {
            "office": {
                "id": "org-9cbafcd8e2cb676b",
                "iri": "https://w3id.org/newskg/id/org/9cbafcd8e2cb676b",
                "name": "新港办事处",
            },
            "date": "--06-22",
            "position": 1,
            "visit": {
                "id": "event-71c3d45aa90588cb",
                "iri": "https://w3id.org/newskg/id/event/71c3d45aa90588cb",
                "name": None,
            },
            "article": "page-000-a1",
        }
    ],
}

ARTICLE = {
    "id": "page-000-a1",
    "iri": "https://w3id.org/newskg/id/article/2ad7c2a442ce4c87",
    "headline": "开展“三学三提升创‘五星’支部亮赛比”观摩比学活动",
    "byline": "记者 王军方\n通讯员 李艳帅 刘琳 文/图",
    "published": None,
    "source": "page-000.txt",
    "text": "新港办事处\n"
    "开展“三学三提升创‘五星’支部亮赛比”观摩比学活动\n"
    "本报讯 "
    "6月22日,航空港实验区新港办事处开展2022年第二季度“三学三提升创‘五星’支部亮赛比”观摩比学活动。办事处全体科级干部、包村领导、各村支部书记、党建办等相关处室负责…",
    "reporters": [
        {
            "id": "person-3cdf7134a3750f48",
            "iri": "https://w3id.org/newskg/id/person/3cdf7134a3750f48",
            "name": "王军方",
        }
    ],
    "correspondents": [
        {
            "id": "person-e4d6ca72cc8ed0e1",
            "iri": "https://w3id.org/newskg/id/person/e4d6ca72cc8ed0e1",
            "name": "刘琳",
        },
        {
            "id": "person-d741cb9228bd0633",
            "iri": "https://w3id.org/newskg/id/person/d741cb9228bd0633",
            "name": "李艳帅",
        },
    ],
    "facts": [
        {
            "fact": "ccaa8410c74148c9",
            "subject": {
                "id": "org-9cbafcd8e2cb676b",
                "iri": "https://w3id.org/newskg/id/org/9cbafcd8e2cb676b",
                "name": "新港办事处",
            },
            "predicate": "type",
            "object": {
                "iri": "https://w3id.org/newskg/def#Office",
                "id": None,
                "name": None,
                "value": None,
            },
            "evidence": [
                {
                    "start": 0,
                    "end": 5,
                    "text": "新港办事处",
                    "annotated_by": "human",
                    "confidence": 1.0,
                    "position": None,
                }
            ],
        }
    ],
}

GRAPH = {
    "elements": {
        "nodes": [
            {
                "data": {
                    "id": "org-c94e5e0a3946122d",
                    "label": "柿园吴村",
                    "iri": "https://w3id.org/newskg/id/org/c94e5e0a3946122d",
                    "type": "Village",
                    "labels": [
                        "AdministrativeUnit",
                        "Agent",
                        "Organization",
                        "Place",
                        "Resource",
                        "Village",
                    ],
                    "article_id": None,
                }
            },
            {
                "data": {
                    "id": "event-71c3d45aa90588cb",
                    "label": "--06-22",
                    "iri": "https://w3id.org/newskg/id/event/71c3d45aa90588cb",
                    "type": "Observation",
                    "labels": ["Activity", "Event", "Observation", "Resource", "Visit"],
                    "article_id": None,
                }
            },
        ],
        "edges": [
            {
                "data": {
                    "id": "e-4ffae97effbb99ed",
                    "source": "event-71c3d45aa90588cb",
                    "target": "org-c94e5e0a3946122d",
                    "label": "visitedSite",
                    "fact": "4ffae97effbb99ed",
                    "position": 1,
                }
            }
        ],
    },
    "truncated": False,
}

NAMED_QUERY = {
    "name": "villages_visited_by_office",
    "description": "Villages visited by an office (or by every organiser when no office is given), "
    "with the date and the article that reports the visit.",
    "parameters": [
        {
            "name": "office",
            "type": "string",
            "required": False,
            "default": None,
            "description": "name or alias of the organising office; all organisers when omitted",
        }
    ],
    "columns": ["office", "village", "date", "article"],
}

ROWS = {
    "columns": ["office", "village", "date", "article"],
    "rows": [
        {"office": "新港办事处", "village": "北街村", "date": "--06-22", "article": "page-000-a1"},
        {"office": "新港办事处", "village": "寺王村", "date": "--06-22", "article": "page-000-a1"},
        {
            "office": "新港办事处",
            "village": "柿园吴村",
            "date": "--06-22",
            "article": "page-000-a1",
        },
    ],
    "truncated": False,
}

KG = "https://w3id.org/newskg/def#"
ONTOLOGY = {
    "version": "1.1.0",
    "source": "store",
    "classes": [{
        "iri": KG + "Office", "name": "Office", "label_zh": "乡镇街道", "label_en": "Township Office",
        "definition": "An administrative unit at the township level: a sub-district office, "
                      "sub-district, town or township (办事处、街道、镇、乡).",
        "deprecated": False, "replaced_by": None, "kind": None, "domain": None, "range": None,
        "children": [],
    }],
    "properties": [{
        "iri": KG + "organizer", "name": "organizer", "label_zh": "组织单位", "label_en": "organizer",
        "definition": "The organisation that sent the group or held the meeting or lecture.",
        "deprecated": False, "replaced_by": None, "kind": "object", "domain": [KG + "Activity"],
        "range": [KG + "Organization"], "children": [],
    }],
}
ONTOLOGY_DIFF = {
    "stored_version": "1.1.0",
    "file_version": "1.2.0",
    "changes": [{"change": "added", "kind": "class", "iri": KG + "Township", "name": "Township",
                 "details": {"parents": [KG + "Office"]}, "instances": 0}],
}
ONTOLOGY_RELOAD = {
    "version": "1.2.0", "previous_version": "1.1.0",
    "file_hash": "9f2c4e0b7a1d3c5e8f60718293a4b5c6d7e8f9012a3b4c5d6e7f8091a2b3c4d5",
    "at": "2026-06-30T08:00:00+00:00", "classes_migrated": 0, "properties_migrated": 0,
    "type_facts_migrated": 0, "relationships_migrated": 0, "literals_migrated": 0,
    "evidence_migrated": 0, "nodes_relabelled": 0, "changes": 1, "migrations": [], "violations": 0,
}
