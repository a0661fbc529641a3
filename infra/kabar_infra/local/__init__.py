"""The local stack: template.yaml's resources on moto, its events routed to its handlers."""
