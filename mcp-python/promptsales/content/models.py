"""Inputs and outputs of the content tools."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

MAX_DESCRIPTION = 2000
MAX_LIMIT = 50
MAX_HASHTAGS = 10
MAX_CAMPAIGN_DESCRIPTION = 4000
MAX_AUDIENCES = 10


class ImageMatch(BaseModel):
    rank: int
    code: str = Field(description="image code, e.g. img-0001 (ads.Ads.ImageCode refers to it)")
    score: float = Field(
        description="the hybrid score: reciprocal rank fusion of the vector and lexical "
        "rankings (see ranking_rule); only its order means something"
    )
    similarity: float = Field(description="cosine similarity of the query and the closest description, -1..1")
    lexical: float = Field(
        description="PostgreSQL ts_rank of the query words in the image's words "
        "(0 = no word in common; subject words weigh most)"
    )
    title: str = Field(description="in the answer's language")
    description: str = Field(description="in the answer's language")
    hashtags: list[str] = Field(description="in the answer's language")
    categories: list[str]
    width: int
    height: int
    url: str = Field(description="MCP resource URI of the PNG file (read it with resources/read)")
    gridfs_id: str = Field(description="GridFS file id of the master PNG in the PromptContent database")


class ContentAnswer(BaseModel):
    query: str
    language: Literal["en", "es"] = Field(
        description="the language of the texts in this answer: the one asked for, or the query's, as detected"
    )
    hashtags: list[str]
    limit: int
    count: int
    good_match: bool = Field(
        description="false when nothing fits the query well: then images is empty and "
        "closest_hashtags offers what the collection has instead"
    )
    message: str = Field(description="one sentence on what was found, for the user")
    closest_hashtags: list[str] = Field(
        description="when good_match is false: the hashtags nearest the query "
        "in meaning (use them as the hashtags filter or in a new query)"
    )
    from_cache: bool = Field(
        description="true when Redis answered; false when computed now (or Redis is down)"
    )
    cache_available: bool
    model_wait_ms: float = Field(
        description="how long this call waited for the embedding model to finish "
        "loading at server start (0 once it is loaded)"
    )
    embedding_model: str
    vector_index: str
    ranking_rule: str
    images: list[ImageMatch]


Interest = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class Audience(BaseModel):
    """One target population: every field is required, so each message can address it precisely."""

    name: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
        Field(
            description="how the campaign names this audience (1-100 characters, distinct within a request), "
            "e.g. 'Young runners MX'"
        ),
    ]
    country: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=2, max_length=60),
        Field(description="the country the audience lives in (2-60 characters), e.g. 'Mexico' or 'México'"),
    ]
    language: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=2, max_length=30),
        Field(
            description="the language the messages are written in (2-30 characters): 'es' or 'Spanish' for "
            "Spanish, 'en' for English"
        ),
    ]
    age_min: Annotated[int, Field(ge=13, le=120, description="youngest age addressed, 13-120")]
    age_max: Annotated[
        int, Field(ge=13, le=120, description="oldest age addressed, 13-120, not below age_min")
    ]
    interests: Annotated[
        list[Interest],
        Field(
            min_length=1,
            max_length=10,
            description=(
                "1-10 interests of the audience, each 1-60 characters, in the audience's language, e.g. ['running']"
            ),
        ),
    ]

    def webhook_shape(self) -> dict:
        return {
            "name": self.name,
            "country": self.country,
            "language": self.language,
            "ageMin": self.age_min,
            "ageMax": self.age_max,
            "interests": self.interests,
        }


class CampaignMessage(BaseModel):
    audience: str
    index: int
    text: str
    generator: str = Field(description="the model that wrote it, or template-composer")
    cache_hit: bool


class AiCall(BaseModel):
    audience: str
    generator: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    cache_hit: bool
    tokens_saved: int


class CampaignMessagesAnswer(BaseModel):
    request_id: str
    campaign_description: str
    messages: list[CampaignMessage]
    ai_calls: list[AiCall]
    llm_latency_ms: float = Field(
        description="time spent waiting for the LLM endpoint (0 for cache hits/templates)"
    )
    tokens_saved: int
    flow_ms: float = Field(description="time n8n reported for the whole flow")
