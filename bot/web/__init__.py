"""The web app: chat page and chat API, health, and the mounted coach inbox."""
