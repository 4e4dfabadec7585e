"""Staff sign-in: the admin site with a second step (an authenticator app code) and lockout."""
