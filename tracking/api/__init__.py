"""The tenant API under /api/v1/ (routes in tracking/api_urls.py). Thin views: input serializers check the shape,
services in tracking/services.py do the work, output serializers shape the answer. Isolation: tracking/api/base.py."""
