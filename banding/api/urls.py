from ninja import NinjaAPI

api = NinjaAPI(title="SiBanding API", version="1", urls_namespace="api")
