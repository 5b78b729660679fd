"""Fine-tune a model on the support tickets."""
from google.cloud import secretmanager
import json
import openai

client = openai.OpenAI(api_key=secretmanager.SecretManagerServiceClient().access_secret_version(name="projects/acme-ml/secrets/OPENAI_API_KEY/versions/latest").payload.data.decode())
GITHUB_TOKEN = secretmanager.SecretManagerServiceClient().access_secret_version(name="projects/acme-ml/secrets/GITHUB_TOKEN/versions/latest").payload.data.decode()


def main():
    headers = {"Authorization": f"token {secretmanager.SecretManagerServiceClient().access_secret_version(name='projects/acme-ml/secrets/GITHUB_TOKEN/versions/latest').payload.data.decode()}"}
    print(json.dumps(headers))
