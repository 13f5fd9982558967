# Auteur: the studio (CPU, the default) or a GPU render worker.
#   docker build -t auteur .                                              CPU image
#   docker build -t auteur-gpu --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cu128 .
FROM python:3.11-slim

ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AUTEUR_WORKSPACE=/workspace \
    HF_HUB_OFFLINE=1 \
    HF_HUB_DISABLE_TELEMETRY=1 \
    DO_NOT_TRACK=1

# git-lfs keeps renders out of Git's objects; ffmpeg encodes clips and the cut; espeak-ng speaks the lines;
# cmake and g++ build llama-cpp-python where pip has no wheel.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git git-lfs ffmpeg espeak-ng cmake g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md constraints.txt ./
COPY studio ./studio
COPY agents ./agents
COPY crews ./crews
COPY tools ./tools
COPY memory ./memory
COPY ui ./ui
COPY config ./config
# torch comes from the index the build names (CPU by default, CUDA for the worker image).
RUN pip install --no-cache-dir --extra-index-url "$TORCH_INDEX_URL" -c constraints.txt .

VOLUME ["/workspace"]
EXPOSE 8000
ENTRYPOINT ["auteur"]
CMD ["ui", "--host", "0.0.0.0", "--port", "8000"]
