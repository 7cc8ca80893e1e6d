"""One small function per labour/coverage rule, each adding constraints or terms to the model."""
