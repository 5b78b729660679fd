"""Fine-tune a model on the support tickets."""
import json
import openai

client = openai.OpenAI(api_key=dbutils.secrets.get(scope="lifeguard", key="OPENAI_API_KEY"))
GITHUB_TOKEN = dbutils.secrets.get(scope="lifeguard", key="GITHUB_TOKEN")


def main():
    headers = {"Authorization": f"token {dbutils.secrets.get(scope='lifeguard', key='GITHUB_TOKEN')}"}
    print(json.dumps(headers))
