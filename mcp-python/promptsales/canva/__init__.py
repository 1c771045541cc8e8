"""Canva Connect through n8n: OAuth2 with PKCE, encrypted tokens, and sending our images as Canva assets.

n8n owns every call to Canva and every token (workflows `n8n-workflows/canva-*.json`); this package
writes the non-secret integration record (PC4), creates the token table, and calls the n8n webhooks
from the MCP tool `sendImageToCanva`.
"""
