"""The API's routes as contracts (:class:`kabar.routing.Route`): each route's parameters, how its
body is read, and the answers it declares for OpenAPI. The handlers in functions/ bind these to
the workflows (``app.bind(route)``)."""
