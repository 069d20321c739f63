"""Runs in the generated project once cookiecutter has rendered it."""

import pathlib

{% if cookiecutter.use_docker == "n" %}
pathlib.Path("Dockerfile").unlink()
{% endif %}
print("Generated {{ cookiecutter.project_slug }}")
