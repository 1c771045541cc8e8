# syntax=docker/dockerfile:1
# The PromptSales Python services in one small, non-root image: the MCP servers (`promptsales mcp serve`),
# `promptsales db init`, the generators (`promptsales seed`) and the n8n import preparation.
#   docker build -t promptsales/python:0.1.0 .
# Kubernetes runs it with a read-only root filesystem; scratch state goes to /tmp (an emptyDir).

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# torch's CPU build first: otherwise sentence-transformers pulls a multi-GB CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
WORKDIR /src
COPY pyproject.toml README.md ./
COPY mcp-python ./mcp-python
COPY generators ./generators
# A normal wheel into the venv: the code runs from site-packages, and the folders it reads beside the code
# (db-init/, n8n-workflows/, bench/) come from PROMPTSALES_HOME=/app in the final stage.
RUN pip install . \
 && python -c "import promptsales, promptsales.generators, torch; assert not torch.cuda.is_available()"

FROM python:3.11-slim-bookworm
# FreeTDS + unixODBC: pyodbc's driver for SQL Server (PROMPTADS_MSSQL_DRIVER=FreeTDS).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tdsodbc unixodbc \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin promptsales
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY db-init ./db-init
COPY n8n-workflows ./n8n-workflows
COPY bench ./bench
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    HF_HUB_OFFLINE=1 \
    PROMPTSALES_HOME=/app \
    PROMPTSALES_STATE_DIR=/tmp/promptsales \
    PROMPTSALES_ENVIRONMENT=kubernetes
USER 10001:10001
CMD ["promptsales", "--help"]
