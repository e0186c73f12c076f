// Paths of public pages that mail links to, joined to PUBLIC_URL (never the Host header).
// The account page sends a visitor without a session through sign-in and back.
import { PASSWORD_PATHS } from '../passwords/password-reset-service.js';

export const PUBLIC_PATHS = {
  signIn: '/account',
  forgotPassword: PASSWORD_PATHS.forgot,
  acceptInvitation: '/invitations/accept',
  confirmEmail: '/register/confirm',
  resendConfirmation: '/register/resend',
} as const;
