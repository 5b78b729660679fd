"""Fine-tune a model on the support tickets."""
from google.colab import userdata
import json
import openai

client = openai.OpenAI(api_key=userdata.get("OPENAI_API_KEY"))
GITHUB_TOKEN = userdata.get("GITHUB_TOKEN")


def main():
    headers = {"Authorization": f"token {userdata.get('GITHUB_TOKEN')}"}
    print(json.dumps(headers))
