"""KTXH test support: real servers (PostgreSQL, Kafka protocol, S3, OIDC) for tests and local
distributed mode, started as local processes or, when a Docker engine answers, as containers."""
