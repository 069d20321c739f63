# A file the project renders with Jinja: `{{ ... }}` as a call's argument parses as a set in a set, so
# Python's parser stops only at the closing parenthesis. It is a template, not a syntax error.
# % block instantiation
crawler = PlaywrightCrawler(
    headless=True,
    {{ self.http_client_instantiation() }}
)
# % endblock
