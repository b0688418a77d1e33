"""Names of the platform-wide groups. Agency roles are `Membership.Role`."""

PLATFORM_EDITORS = "Platform editors"
PLATFORM_MODERATORS = "Platform moderators"
