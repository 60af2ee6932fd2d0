"""Pages for programs, one module per area, each with its `urlpatterns`."""
