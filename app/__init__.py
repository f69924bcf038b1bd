"""Appeal Desk: the application factory."""

from __future__ import annotations

import jinja2
from flask import Flask
from packaging.version import Version
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import Config

MINIMUM_JINJA2 = Version("3.1.6")  # sandbox escapes fixed in 3.1.5/3.1.6


def create_app(config_class: type = Config, **overrides) -> Flask:
    """Build the Flask app: config, extensions, blueprints and commands."""
    if Version(jinja2.__version__) < MINIMUM_JINJA2:
        raise RuntimeError(f"Jinja2 {jinja2.__version__} is older than {MINIMUM_JINJA2}")

    app = Flask(__name__, instance_path=_instance_dir())
    app.config.from_object(config_class)
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production")

    proxies = int(app.config.get("TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    _init_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    _register_request_hooks(app)
    from app.logging_setup import configure_logging

    configure_logging(app)
    return app


def _instance_dir() -> str:
    from app.config import INSTANCE_DIR

    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    return str(INSTANCE_DIR)


def _init_extensions(app: Flask) -> None:
    from app.db_setup import configure_engine
    from app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    from app import i18n

    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    _register_translated_names(app)
    _connect_events()
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    from app.auth.service import load_user

    login_manager.user_loader(load_user)


def _register_translated_names(app: Flask) -> None:
    """Template helpers that name appeals and recipients in the page language. Registered here,
    in the composition root, so that app.i18n depends on no domain area."""
    from app.appeals.localized import (
        STATE_LABELS,
        appeal_text,
        event_label,
        outcome_label,
        role_label,
        status_label,
    )
    from app.directory.translations import recipient_text

    app.jinja_env.globals.update(role_label=role_label, status_label=status_label,
                                 outcome_label=outcome_label, event_label=event_label,
                                 recipient_text=recipient_text, appeal_text=appeal_text,
                                 state_label=lambda state: str(STATE_LABELS.get(state, state)))


def _connect_events() -> None:
    """Areas that act on a confirmed signature listen for it (blinker keeps one connection per
    receiver, however many apps are created)."""
    from app.partners.service import on_signature_confirmed as credit_partner
    from app.publicpage.sharing import on_signature_confirmed as count_share_channel
    from app.signatures.events import signature_confirmed
    from app.webhooks.events import on_signature_confirmed as queue_webhooks

    signature_confirmed.connect(credit_partner)
    signature_confirmed.connect(queue_webhooks)
    signature_confirmed.connect(count_share_channel)


def _migrations_dir():
    from app.config import PROJECT_ROOT

    return PROJECT_ROOT / "migrations"


def _register_blueprints(app: Flask) -> None:
    from app.api.routes import bp as api_bp
    from app.appeal_editor.routes import bp as appeal_editor_bp
    from app.auth.people import bp as people_bp
    from app.auth.routes import bp as auth_bp
    from app.campaign.routes import bp as campaign_bp
    from app.coordinator.integrations import bp as integrations_bp
    from app.coordinator.routes import bp as coordinator_bp
    from app.delivery.routes import bp as delivery_bp
    from app.directory.routes import bp as directory_bp
    from app.letters.routes import bp as letters_bp
    from app.organisations.routes import bp as organisations_bp
    from app.partners.coordinator import bp as partners_bp
    from app.public.embed import bp as embed_bp
    from app.public.letters import public_bp as channels_bp
    from app.public.routes import bp as public_bp
    from app.public.statements import public_bp as statement_public_bp
    from app.publicpage.routes import bp as publicpage_bp
    from app.publicpage.trust import bp as trust_bp
    from app.signer_privacy.routes import bp as signer_privacy_bp
    from app.statements.routes import bp as statements_bp

    for blueprint in (public_bp, auth_bp, coordinator_bp, directory_bp, letters_bp, delivery_bp,
                      channels_bp, statements_bp, statement_public_bp,
                      embed_bp, partners_bp, api_bp, integrations_bp, appeal_editor_bp,
                      people_bp, organisations_bp,
                      signer_privacy_bp,
                      campaign_bp,
                      publicpage_bp, trust_bp):
        app.register_blueprint(blueprint)


def _register_commands(app: Flask) -> None:
    from app.admin.cli import admin_cli, backup_command, restore_command
    from app.appeals.cli import appeals_cli
    from app.auth.cli import users_cli
    from app.delivery.cli import delivery_cli, worker_command
    from app.demo.cli import demo_command
    from app.directory.cli import directory_cli
    from app.letters.cli import letters_cli
    from app.signer_privacy.cli import sealing_cli
    from app.statements.cli import statements_cli
    from app.webhooks.cli import webhooks_cli

    for command in (appeals_cli, users_cli, worker_command, demo_command, directory_cli,
                    letters_cli, statements_cli, admin_cli, backup_command, restore_command,
                    webhooks_cli, delivery_cli, sealing_cli):
        app.cli.add_command(command)


def _register_request_hooks(app: Flask) -> None:
    from app.security import apply_security_headers, refuse_nul_bytes

    app.after_request(apply_security_headers)
    app.before_request(refuse_nul_bytes)

    from app.text import initials

    app.jinja_env.filters["initials"] = initials
    _register_error_pages(app)


def _register_error_pages(app: Flask) -> None:
    from flask import render_template
    from flask_babel import lazy_gettext as _l
    from flask_wtf.csrf import CSRFError

    pages = {
        400: (_l("Bad request"), _l("The request could not be understood.")),
        403: (_l("Not allowed"), _l("You cannot open this page.")),
        404: (_l("Not found"), _l("There is no page at this address.")),
        405: (_l("Not allowed"), _l("This address does not take that kind of request.")),
        413: (_l("Too large"), _l("What you sent is larger than this site accepts.")),
        429: (_l("Too many requests"), _l("Please wait a minute and try again.")),
        500: (_l("Something went wrong"), _l("The error was logged. Please try again later.")),
    }

    from flask import request

    from app.api.routes import API_ERRORS, api_error, is_api_path

    def _page(code: int):
        title, message = pages[code]

        def page(_error):
            if code in API_ERRORS and is_api_path(request.path):  # JSON for API clients
                return api_error(code)
            return render_template("errors.html", title=title, message=message), code
        return page

    for code in pages:
        app.register_error_handler(code, _page(code))

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return render_template(
            "errors.html", title=_l("The form expired"),
            message=_l("Go back, reload the page and send the form again."),
        ), 400
