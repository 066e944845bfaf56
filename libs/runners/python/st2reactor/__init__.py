"""StackStorm's sensor classes, as Tempest's sensor container provides them."""
