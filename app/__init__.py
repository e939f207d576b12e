"""The application around the layers: settings, their wiring, the FastAPI app, serving
and the command line. Imports db/, auth/, graph/ and schema/; none of them imports it."""
