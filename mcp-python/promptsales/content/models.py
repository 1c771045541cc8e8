"""Inputs and outputs of the content tools."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

MAX_DESCRIPTION = 2000
MAX_LIMIT = 50


class ImageMatch(BaseModel):
    rank: int
    code: str = Field(description="image code, e.g. img-0001 (ads.Ads.ImageCode refers to it)")
    score: float = Field(description="cosine similarity between the query and the description, -1..1")
    title: str
    description: str
    hashtags: list[str]
    categories: list[str]
    width: int
    height: int
    url: str = Field(description="MCP resource URI of the PNG file (read it with resources/read)")
    gridfs_id: str = Field(description="GridFS file id of the master PNG in the PromptContent database")


class ContentAnswer(BaseModel):
    query: str
    hashtags: list[str]
    limit: int
    count: int
    from_cache: bool = Field(description="true when Redis answered; false when computed now (or Redis is down)")
    cache_available: bool
    embedding_model: str
    vector_index: str
    images: list[ImageMatch]


Interest = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class Audience(BaseModel):
    """One target population: every field is required, so each message can address it precisely."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    country: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=60)]
    language: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=30)]
    age_min: Annotated[int, Field(ge=13, le=120)]
    age_max: Annotated[int, Field(ge=13, le=120)]
    interests: Annotated[list[Interest], Field(min_length=1, max_length=10)]

    def webhook_shape(self) -> dict:
        return {"name": self.name, "country": self.country, "language": self.language,
                "ageMin": self.age_min, "ageMax": self.age_max, "interests": self.interests}


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
    llm_latency_ms: float = Field(description="time spent waiting for the LLM endpoint (0 for cache hits/templates)")
    tokens_saved: int
    flow_ms: float = Field(description="time n8n reported for the whole flow")
