"""Reference apps doing the same work per endpoint as the service, without the contract layer.

Both read the tables this service's migrations create and the same environment variables
(`DATABASE_URL`, `REDIS_URL`, `REDIS_KEY_PREFIX`, `JWT_*`), so a token issued by the service
is valid for them and a revocation written by the service is seen by them.
"""
