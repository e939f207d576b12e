"""The mailed flows' operations, as a frontend sends them."""

REQUEST_RESET = "mutation($email: String!) { requestPasswordReset(email: $email) }"
RESET = """
mutation($token: String!, $password: String!) {
  resetPassword(token: $token, newPassword: $password) {
    accessToken refreshToken user { id email emailVerified }
  }
}"""
REQUEST_VERIFICATION = "mutation { requestEmailVerification }"
VERIFY = "mutation($token: String!) { verifyEmail(token: $token) { id email emailVerified } }"
CHANGE_EMAIL = """
mutation($email: String!, $password: String!) { changeEmail(newEmail: $email, password: $password) }
"""
ME = "{ me { id email emailVerified } }"
SIGN_IN = """
mutation($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { accessToken refreshToken user { id email } }
}"""
REFRESH = """
mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }
"""
SIGN_UP_WITH_REFRESH = """
mutation($email: String!, $password: String!) {
  signUp(email: $email, password: $password) { accessToken refreshToken user { id email } }
}"""
SIGN_UP_NAMED = """
mutation($email: String!, $password: String!, $name: String) {
  signUp(email: $email, password: $password, displayName: $name) { accessToken user { id } }
}"""
