"""The API's routes as contracts: each route's parameters (typed, validated by Powertools) and the
answers it declares for OpenAPI. The handlers in functions/ wire these to the workflows."""
