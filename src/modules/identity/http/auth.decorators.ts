// The caller contract (Public, CurrentUser, AuthenticatedUser, refuseApiKey) moved to shared/http/authentication.ts,
// because shared code (metrics, throttling) must not import a context. This re-export keeps existing imports
// working until they point there; delete it once nothing imports it.
export {
  type AuthenticatedRequest,
  type AuthenticatedUser,
  CurrentUser,
  IS_PUBLIC,
  Public,
  refuseApiKey,
} from '../../../shared/http/authentication.js';
