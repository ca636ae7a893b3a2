"""Bearer-token authentication for system accounts (`Authorization: Bearer tc_...`)."""

import hashlib
import hmac

from ninja.security import HttpBearer

from thinkchild.access.context import access_context_update
from thinkchild.org.models import Role
from thinkchild.org.selectors import api_tokens_live_by_prefix
from thinkchild.org.services import TOKEN_SCHEME, api_token_touch


class ApiTokenAuth(HttpBearer):
    """Finds the token by its prefix and compares hashes in constant time.

    Only live tokens of active system accounts pass. Every disclosure logged during the call names
    the system account as its recipient (s.62(3)).
    """

    def authenticate(self, request, token: str):
        scheme, _, rest = token.partition("_")
        prefix, _, secret = rest.partition("_")
        if scheme != TOKEN_SCHEME or not prefix or not secret:
            return None
        digest = hashlib.sha256(token.encode()).hexdigest()
        for candidate in api_tokens_live_by_prefix(prefix=prefix):
            if not hmac.compare_digest(candidate.key_hash, digest):
                continue
            user = candidate.user
            if not user.is_active or user.role != Role.SYSTEM_ACCOUNT:
                return None
            api_token_touch(token=candidate)
            access_context_update(recipient=user.username)
            request.user = user
            return user
        return None
