"""HTTP API and web page (FastAPI + uvicorn)."""
