"""Serving the schema over HTTP and websockets: the Starlette app and the uvicorn
factory, authentication, abuse limits, error masking, request ids, health,
metrics, JSON logs and the self-hosted GraphiQL page."""
