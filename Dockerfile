# The Auteur studio on the embedded defaults (CPU).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AUTEUR_WORKSPACE=/workspace

RUN apt-get update \
 && apt-get install -y --no-install-recommends git git-lfs cmake g++ \
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
RUN pip install --no-cache-dir -c constraints.txt .

VOLUME ["/workspace"]
ENTRYPOINT ["auteur"]
CMD ["demo"]
