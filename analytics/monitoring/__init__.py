"""The model monitor (issue 14, item 3): per model kind and version, the volume and latency of what was served,
input drift against the training data and live accuracy against the outcomes that arrive, per tenant and over every
tenant. See docs/architecture.md, "Model monitoring"."""
