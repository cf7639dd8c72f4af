"""What every service shares: settings, event store wiring, transport, gRPC bootstrap."""
