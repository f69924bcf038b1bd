def load_demo() -> list[str]:
    return []
