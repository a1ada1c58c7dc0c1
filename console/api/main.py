"""The console's JSON API, assembled under /api/."""

from fastapi import APIRouter

from console.api.routes import review

from console.api.routes import evidence

from console.api.routes import auth, handoffs, officers, tickets

api_router = APIRouter(prefix="/api")
api_router.include_router(auth.router)
api_router.include_router(tickets.router)
api_router.include_router(evidence.router)  # a case's complainants and photos
api_router.include_router(officers.router)
api_router.include_router(review.router)  # trainers' review queue
api_router.include_router(handoffs.router)
