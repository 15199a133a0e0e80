"""The factory itself (as in Flask's tutorial: test create_app, not only the routes)."""

import gc

import connexion

from app.http.connexion_compat import wsgi_threads
from app.main import create_app
from app.settings import Settings


def test_create_app_returns_a_connexion_flask_app(app: connexion.FlaskApp) -> None:
    assert isinstance(app, connexion.FlaskApp)
    assert app.app.extensions["app_services"].settings.env == "test"


def test_settings_are_honoured(make_settings) -> None:
    settings: Settings = make_settings(wsgi_threads=7, max_body_bytes=4096)
    app = create_app(settings)
    assert wsgi_threads(app) == 7
    assert app.app.extensions["app_services"].settings.api.max_body_bytes == 4096


def test_default_thread_pool_is_at_least_64(app: connexion.FlaskApp) -> None:
    assert wsgi_threads(app) >= 64


def test_response_validation_is_off_in_production(make_settings) -> None:
    # Production skips per-response schema validation (cost); tests and dev keep it on.
    prod = create_app(make_settings(env="production", jwt_secret="p" * 48))
    dev = create_app(make_settings(env="development"))
    assert prod.middleware.options.validate_responses is False
    assert dev.middleware.options.validate_responses is True


def test_what_startup_built_leaves_the_collector_while_serving(make_settings) -> None:
    # A full collection then walks only what requests allocate; shutdown thaws it all.
    app = create_app(make_settings())
    assert gc.get_freeze_count() == 0
    with app.test_client() as client:  # runs the lifespan, as a server does
        assert gc.get_freeze_count() > 10_000
        assert client.get("/api/v1/health/live").status_code == 200
    assert gc.get_freeze_count() == 0
