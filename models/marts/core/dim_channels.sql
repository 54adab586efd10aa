{#
    The fixed list of marketing channels (docs/kpis.md, "Channel"), with whether
    the channel buys media and what it covers.  Every channel column in the
    marts takes one of these values.
#}

with

channels as (
    select
        channel_values.channel,
        channel_values.is_paid,
        channel_values.description
    from (
        values
        ('paid_search', true, 'Paid clicks from search engines'),
        ('paid_social', true, 'Paid ads on social networks'),
        ('display', true, 'Display and retargeting banners'),
        ('email', false, 'Links in our emails and newsletters'),
        ('organic_search', false, 'Unpaid clicks from search engines'),
        ('organic_social', false, 'Unpaid posts and shares on social networks'),
        ('referral', false, 'Other sites, partners'' links and product referrals'),
        ('direct', false, 'No campaign tag and no referring site'),
        ('events', false, 'People met at events and trade shows'),
        ('partner', false, 'Leads passed on by partners'),
        ('outbound', false, 'Prospects our sales team reached out to, lists included'),
        ('other', false, 'Tagged traffic no channel rule recognises')
    ) as channel_values (channel, is_paid, description)
),

final as (
    select
        channel,
        is_paid,
        description
    from channels
)

select * from final
