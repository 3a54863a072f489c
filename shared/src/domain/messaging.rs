//! SMS and e-mail: the outbox's delivery states, its channels, and what a one-time code is for.

crate::stored_enum! {
    /// Where an outbox message stands.
    pub enum OutboxStatus in "outbox_messages.status" {
        /// Not yet handed to a sender.
        Pending = "pending",
        /// Delivered by a gateway.
        Sent = "sent",
        /// No gateway configured: kept in the outbox only.
        Recorded = "recorded",
        /// The sender failed too many times.
        Failed = "failed",
    }
}

crate::stored_enum! {
    /// How a message reaches its reader.
    pub enum MessageChannel in "outbox_messages.channel" {
        /// A text message to a mainland mobile number.
        Sms = "sms",
        /// An e-mail.
        Email = "email",
    }
}

impl MessageChannel {
    /// The channel of a destination: an e-mail address or a phone number.
    pub fn of(destination: &str) -> Self {
        if destination.contains('@') { Self::Email } else { Self::Sms }
    }
}

crate::stored_enum! {
    /// What a one-time code proves.
    pub enum CodePurpose in "one_time_codes.purpose" {
        /// The account's e-mail address.
        VerifyEmail = "verify_email",
        /// The account's mobile number.
        VerifyPhone = "verify_phone",
        /// The right to reset the password.
        ResetPassword = "reset_password",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destination_names_its_channel() {
        assert_eq!(MessageChannel::of("a@b.cn"), MessageChannel::Email);
        assert_eq!(MessageChannel::of("13800000000"), MessageChannel::Sms);
    }
}
