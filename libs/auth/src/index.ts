export {
  type AuthenticatedUser,
  InvalidTokenError,
  signToken,
  type TokenRequest,
  USER_ROLES,
  type UserRole,
  verifyToken,
} from './token.js';
