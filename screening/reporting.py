"""Error reports that can never carry a patient's answers.

Django's error e-mails and debug pages include request POST data and every local variable
of every frame in the traceback, which here would include answers held in the session.
This filter, set as DEFAULT_EXCEPTION_REPORTER_FILTER, keeps the traceback's shape and
drops all of those values, and every cookie (the session cookie opens the session). Of the
request's headers it keeps only a few that say nothing about the person: no address, no
browser, no Referer (a question page's address can hint at an earlier answer).
"""

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
