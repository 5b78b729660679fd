"""Fine-tune a model on the support tickets."""
import json
import openai
import os

client = openai.OpenAI(api_key=os.environ["OPENAI_API_KEY"])
GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]


def main():
    headers = {"Authorization": f"token {os.environ['GITHUB_TOKEN']}"}
    print(json.dumps(headers))
