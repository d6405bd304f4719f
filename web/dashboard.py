"""rq-dashboard at /rq, an extra off by default (RQ_DASHBOARD=1, `pip install 'releasebot[dashboard]'`).

The dashboard lists queues, workers and jobs, and can also requeue, delete and empty them: it is mounted only
behind READ_TOKEN (access.require_read_token guards every path but the webhook and /healthz). A browser sends
cached Basic credentials with any site's forms too, so an action (a POST, or its requeue-all link) must also
come from the dashboard's own pages: its Origin or Referer names this host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, request

from releasebot.errors import ConfigError
from releasebot.settings import Settings

PREFIX = "/rq"


def mount_dashboard(app: Flask, settings: Settings) -> None:
    """Serve rq-dashboard at /rq on the app's Redis, when RQ_DASHBOARD asks for it."""
    if not settings.rq_dashboard:
        return
    if not settings.read_token:
        raise ConfigError("RQ_DASHBOARD=1 needs READ_TOKEN: the dashboard can delete and requeue jobs, so it is "
                          "never served without a token; set READ_TOKEN, or RQ_DASHBOARD=0")
    try:
        import rq_dashboard
    except ImportError as error:
        raise ConfigError(f"RQ_DASHBOARD=1 but rq-dashboard does not load ({error}): install the extra, "
                          "pip install 'releasebot[dashboard]'") from None
    app.config.from_object(rq_dashboard.default_settings)
    # The dashboard reads its own connection from this list: the same Redis the app uses, TLS included.
    app.config["RQ_DASHBOARD_REDIS_URL"] = [dashboard_redis_url(settings.redis_url)]
    app.config["RQ_DASHBOARD_POLL_INTERVAL"] = 5000
    rq_dashboard.web.setup_rq_connection(app)
    app.before_request(_actions_from_the_dashboard_only)
    app.register_blueprint(rq_dashboard.blueprint, url_prefix=PREFIX)


def _actions_from_the_dashboard_only() -> None:
    """Refuse a dashboard action (anything but reading) that another site's page may have sent."""
    path = request.path
    if not path.startswith(f"{PREFIX}/") or (request.method in ("GET", "HEAD")
                                              and not path.startswith(f"{PREFIX}/requeue/")):
        return
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if urlsplit(source).netloc != request.host:
        abort(403, description="a dashboard action must come from the dashboard's own page (Origin or Referer "
                               "of this host)")


def dashboard_redis_url(url: str) -> str:
    """The URL the dashboard connects with (it builds its own clients): for `rediss://`, one that accepts
    Heroku Redis's self-signed certificate, as infra.connection.ReleasebotRedis does."""
    if not url.startswith("rediss://") or "ssl_cert_reqs=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}ssl_cert_reqs=none&ssl_check_hostname=false"
