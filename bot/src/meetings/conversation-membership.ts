/**
 * Who belongs to a Teams conversation (a meeting chat, a group chat, a team), as Teams itself
 * says: the Bot Connector roster, implemented in bot/src/teams so botbuilder stays there.
 * Answers false for "not a member" (and for a conversation the app was never added to: there is
 * no roster to ask); throws when Teams could not tell.
 */
export interface ConversationMembership {
  isMember(tenantId: string, conversationId: string, userId: string): Promise<boolean>;
}
