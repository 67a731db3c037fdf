"""工地扬尘与渣土车巡查系统 — backend application factory."""
from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path

import click
from flask import Flask

from inspect_app.config import check_production_config, load_config
from inspect_app.core.database import init_database
from inspect_app.core.apidocs import init_api_docs
from inspect_app.core.errors import register_error_handlers
from inspect_app.core.openapi import init_api
from inspect_app.core.parsing import init_request_guards
from inspect_app.core.security import init_security
from inspect_app.core.storage import init_storage
from inspect_app.extensions import api, db, limiter, migrate
from inspect_app.features import FEATURES

__version__ = "0.1.0"

REPO_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Configure the app, bind extensions, register every feature's blueprint and CLI."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSPECT_INSTANCE_PATH", str(REPO_ROOT / "instance")),
        static_folder=str(REPO_ROOT / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)
    check_production_config(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO)

    init_database(app)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"))
    init_request_guards(app)  # before any blueprint: the <int:…> converter binds at registration
    init_api(api, app)
    limiter.init_app(app)
    init_storage(app)
    init_security(app)
    register_error_handlers(app)
    init_api_docs(app)
    _register_features(app)
    return app


def _register_features(app: Flask) -> None:
    """Import each feature's routes and CLI modules and register what they export."""
    for name in FEATURES:
        for module_name in ("models", "operations", "routes", "cli"):
            try:
                module = importlib.import_module(f"inspect_app.{name}.{module_name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"inspect_app.{name}.{module_name}":
                    raise
                continue
            if module_name == "routes":
                api.register_blueprint(module.blp)
                for extra in getattr(module, "API_BLUEPRINTS", ()):
                    api.register_blueprint(extra)
                for extra in getattr(module, "PLAIN_BLUEPRINTS", ()):
                    app.register_blueprint(extra)
            elif module_name == "cli":
                for attr, value in vars(module).items():
                    if attr.endswith("_cli") and isinstance(value, click.Command):
                        app.cli.add_command(value)
