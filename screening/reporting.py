"""Error reports that can never carry a patient's answers.

Django's error e-mails and debug pages include request POST data and every local variable
of every frame in the traceback, which here would include answers held in the session.
This filter, set as DEFAULT_EXCEPTION_REPORTER_FILTER, keeps the traceback's shape and
drops all of those values, and every cookie (the session cookie opens the session). Of the
request's headers it keeps only a few that say nothing about the person: no address, no
browser, no Referer (a question page's address can hint at an earlier answer).
"""

import logging

from django.views.debug import SafeExceptionReporterFilter

# What an operator needs to find the failing request, and nothing about who sent it.
REPORTED_META = frozenset(
    {
        "REQUEST_METHOD",
        "PATH_INFO",
        "SCRIPT_NAME",
        "HTTP_HOST",
        "SERVER_NAME",
        "SERVER_PORT",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "HTTP_X_FORWARDED_PROTO",
        "wsgi.url_scheme",
    }
)


class NoAnswersExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [("(local variables)", self.cleansed_substitute)]

    def get_safe_cookies(self, request):
        # The session cookie would let a reader of the report load the session's answers.
        return dict.fromkeys(getattr(request, "COOKIES", {}), self.cleansed_substitute)

    def get_safe_request_meta(self, request):
        meta = getattr(request, "META", {})
        return {key: meta[key] for key in sorted(REPORTED_META & meta.keys())}


# Django's messages that quote a header a client chose, and what the log says instead.
FOREIGN_ORIGIN = "Origin checking failed - foreign origin."
FOREIGN_REFERER = "Referer checking failed - foreign Referer."
FOREIGN_HOST = "Invalid HTTP_HOST header: foreign host (not in ALLOWED_HOSTS)."


class ForeignHeaderFilter(logging.Filter):
    """Log lines say that a header was foreign, never what it said.

    Django quotes a refused Origin or Referer (django.security.csrf) and a refused Host
    (django.security.DisallowedHost) in full: text chosen by whoever sent the request, sent
    to the log and, for Host, to the operators' error e-mail with the whole request. Set on
    those loggers, this rewrites the record before any handler sees it; the path and the
    kind of refusal stay. (X-Forwarded-For is read by screening.ratelimit and axes only,
    and neither logs it.)
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.security.DisallowedHost":
            record.msg, record.args = FOREIGN_HOST, ()
            # The traceback repeats the message, and the request would put the raw Host
            # into an error e-mail's report.
            record.exc_info = record.exc_text = None
            record.__dict__.pop("request", None)
        elif record.name == "django.security.csrf" and isinstance(record.args, tuple):
            record.args = tuple(self._reason(arg) for arg in record.args)
        return True

    @staticmethod
    def _reason(arg: object) -> object:
        if not isinstance(arg, str):
            return arg
        if arg.startswith("Origin checking failed - "):
            return FOREIGN_ORIGIN
        if arg.startswith("Referer checking failed - ") and arg.endswith("trusted origins."):
            return FOREIGN_REFERER
        return arg
