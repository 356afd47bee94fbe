/// What the Slack app manifests (`docs/slack-app-manifest.yml` and its Socket Mode
/// variant) ask for, as code: an installed binary has no docs/ folder, and `doctor`
/// compares a token's scopes with these. A test keeps the two in step with the files.
public enum SlackAppManifest {
    /// `oauth_config.scopes.bot`, in the manifests' order.
    public static let botScopes = [
        "app_mentions:read",
        "channels:history",
        "channels:manage",
        "channels:read",
        "chat:write",
        "chat:write.public",
        "commands",
        "im:history",
        "im:read",
        "im:write",
        "users:read",
        "users:read.email",
    ]
}
