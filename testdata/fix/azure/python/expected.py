"""Fine-tune a model on the support tickets."""
from azure.identity import DefaultAzureCredential
from azure.keyvault.secrets import SecretClient
import json
import openai

client = openai.OpenAI(api_key=SecretClient("https://acme-kv.vault.azure.net", DefaultAzureCredential()).get_secret("OPENAI-API-KEY").value)
GITHUB_TOKEN = SecretClient("https://acme-kv.vault.azure.net", DefaultAzureCredential()).get_secret("GITHUB-TOKEN").value


def main():
    headers = {"Authorization": f"token {SecretClient('https://acme-kv.vault.azure.net', DefaultAzureCredential()).get_secret('GITHUB-TOKEN').value}"}
    print(json.dumps(headers))
