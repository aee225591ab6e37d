"""The organizers' dashboard (the admin index)."""


def dashboard_callback(request, context):
    return context
