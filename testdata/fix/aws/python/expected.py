"""Fine-tune a model on the support tickets."""
import boto3
import json
import openai

client = openai.OpenAI(api_key=boto3.client("secretsmanager").get_secret_value(SecretId="lifeguard/OPENAI_API_KEY")["SecretString"])
GITHUB_TOKEN = boto3.client("secretsmanager").get_secret_value(SecretId="lifeguard/GITHUB_TOKEN")["SecretString"]


def main():
    headers = {"Authorization": f"token {boto3.client('secretsmanager').get_secret_value(SecretId='lifeguard/GITHUB_TOKEN')['SecretString']}"}
    print(json.dumps(headers))
