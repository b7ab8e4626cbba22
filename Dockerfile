# comprehend-contract in a container: the image runs `comprehend-contract run` against a target profile mounted
# into /work, writing its reports there (README: "In CI: the GitHub Action and the container").
#
#   docker build -t comprehend-contract .
#   docker run --rm -v "$PWD:/work" comprehend-contract --target /work/my-clone.toml -- --report-dir /work/reports
#
# Inside a container 127.0.0.1 is the container itself: for an implementation listening on the host's loopback,
# add --network host (Linux), or point the profile at host.docker.internal (Docker Desktop).
FROM python:3.11-slim

LABEL org.opencontainers.image.title="comprehend-contract" \
      org.opencontainers.image.description="Conformance kit for the Amazon Comprehend StopSentimentDetectionJob API" \
      org.opencontainers.image.licenses="Apache-2.0"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# The kit from the build context, and only what its wheel is built from.
COPY pyproject.toml README.md /tmp/comprehend-contract/
COPY src/ /tmp/comprehend-contract/src/
COPY schemas/ /tmp/comprehend-contract/schemas/
COPY contract_tests/ /tmp/comprehend-contract/contract_tests/
RUN pip install /tmp/comprehend-contract \
    && rm -rf /tmp/comprehend-contract

# Not root: the user contract (uid 1000), who owns /work, where a checkout is mounted and reports are written. On
# Linux, add --user "$(id -u):$(id -g)" to docker run to write the reports as yourself.
RUN useradd --no-log-init --create-home --uid 1000 --user-group contract \
    && mkdir -p /work \
    && chown 1000:1000 /work
USER 1000:1000
WORKDIR /work

ENTRYPOINT ["comprehend-contract", "run"]
