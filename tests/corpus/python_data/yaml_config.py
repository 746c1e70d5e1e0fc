import yaml

text = """
server:
  host: localhost
  ports: [8080, 8081]
debug: true
"""
config = yaml.safe_load(text)
print(config["server"]["ports"][1], config["debug"])
print(yaml.safe_dump({"name": "demo", "items": [1, 2]}, sort_keys=True), end="")
