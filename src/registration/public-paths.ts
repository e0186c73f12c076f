// Paths of public pages that mail links to, joined to PUBLIC_URL (never the Host header).
// The account page sends a visitor without a session through sign-in and back.
export const PUBLIC_PATHS = {
  signIn: '/account',
  forgotPassword: '/password/forgot',
  acceptInvitation: '/invitations/accept',
  confirmEmail: '/register/confirm',
  resendConfirmation: '/register/resend',
} as const;
