"""The baseline of benchmarks/load_bench.py: FastAPI under uvicorn doing nothing else."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
def ping() -> dict[str, str]:
    return {"status": "ok"}
